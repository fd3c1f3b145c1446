"""Exporters: format an already-built view as .ics, .xlsx, .png or JSON, never deciding anything.

`outputs.write_outputs` writes them all; each module can be imported on its own.
"""
