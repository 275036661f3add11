"""Pipeline components: each module fills one layer of the Document."""
