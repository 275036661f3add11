"""Corpus-scale runs: worker processes on one machine (``local``), resuming a stopped run
(``resume``) and Apache Spark clusters (``spark``, in the ``spark`` extra)."""
