"""Letters and handouts in the window: the letter dialog with its live preview, the phone call before an
urgent letter, and the patient's Letters tab. Imported on first use: the preview loads pypdfium2 and the
letters load ReportLab, neither of which the window needs at start-up."""
