"""The progress tab's charts (pyqtgraph). Imported only when the tab is first shown: pyqtgraph costs ~170 ms."""
