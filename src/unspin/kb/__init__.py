"""The knowledge base of actors and places, and matching names against it.

``store`` loads entries into an index (once per process), ``normalise`` makes
transliteration-proof keys, ``matcher`` resolves one name, ``mentions`` finds names in a
parsed text, ``linker`` turns mentions into the entities layer.
"""
