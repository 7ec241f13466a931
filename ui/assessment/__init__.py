"""The guided assessment wizard: one page per section of the assessment contract, the engine live on each."""
