"""The squads window: squads and their members, the screening grid, the dashboard, and athlete imports.

Nothing here loads at start-up: ``launcher`` (the window's Squads menu) imports the rest when it opens.
"""
