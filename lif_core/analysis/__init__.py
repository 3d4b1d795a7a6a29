"""Analyses behind the chapters (numpy only, SI units): parameters in, small named records out.

Each module holds what one part of the story computes (simulations, closed forms and the
numbers a page reads out), so that a figure builder in :mod:`lif_figures` only draws a
record and a page reads: widgets -> parameters -> cached analysis -> figures.
"""
