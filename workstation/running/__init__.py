"""The running log: stored runs, their checks, importing them from watch and app exports, and load alerts."""
