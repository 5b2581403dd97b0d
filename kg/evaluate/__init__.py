"""Evaluation: score the extraction and the linker against hand-made gold lists."""
