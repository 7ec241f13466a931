"""The note on a handout's exercise card, when it is the library's default note.

The library's default notes (``workstation.clinical.exercises``) are written for the clinician choosing a
dose: "Hold 15-30 seconds" says the range the default hold comes from (CLINICAL.md 8.4 "hold 15-30 s"),
"Hold in seconds" what the number in the hold box means. Printed on the patient's card under "How much: 3
sets, hold 30 seconds" they say the dose again, or say a different one. So a card prints the default note
only where it adds something the dose and the instructions do not say, reworded for the patient here:
"" leaves it out. A note the clinician typed for this patient is printed exactly as typed.

Every library exercise with a default note has an entry (a test keeps it so), so a new note is read for the
card before it reaches one.
"""

from __future__ import annotations

from workstation.clinical.exercises import Exercise

CARD_NOTES: dict[str, str] = {
    "pain_free_cardio": "About 20 minutes at an easy effort to start",
    "calf_raise_double": "",  # the instructions say it: "put more of your weight through the sore leg"
    "calf_raise_single_straight": "Build up to 3 sets of 25-30",  # "as many as comfortable" is the dose
    "calf_raise_single_bent": "Aim for 30 in a set",
    "calf_raise_step": "Start these once 3 sets of 25 on the flat floor are easy",
    "seated_calf_raise": "Runners build up to about 1.7-2 times their body weight",  # CLINICAL.md 8.3
    "soleus_wall_sit": "",  # "Hold in seconds": the dose says "hold 30 seconds"
    "loaded_toe_walk": "",  # the dose says "30 seconds of walking"
    "pogo_hops": "Only once hopping is pain-free",
    "hop_and_bound": "Only once pogo hops are pain-free",
    "foot_strength": "An 8-week programme of these cut running injuries",  # CLINICAL.md 8.3 [S3]
    "dynamic_warm_up": "10 of each movement",
    "wall_stretch_straight": "",  # "Hold 15-30 seconds, gently" beside "hold 30 seconds": the range, not the dose
    "wall_stretch_bent": "",
    "towel_stretch": "",
    "foam_roller": "For each leg",
    "ball_release": "For each leg",
    "cramp_stretch": "",  # the instructions say it: "hold until it lets go"
    "slump_slider": "",  # "10-15 ..., 1-3 sets": the dose range; the instructions say slow and pain-free
    "slump_tensioner": "Only once your symptoms have settled",
    "bird_dog": "Each side",
    "dead_bug": "Each side",
    "side_plank": "Build up towards 90 seconds",
    "front_plank": "",  # "Hold in seconds"
    "single_leg_glute_bridge": "Each side",
    "single_leg_rdl": "Each side",
    "split_squat": "Each side",
    "superman": "",  # "Hold in seconds"
}


def card_note(library: Exercise, note: str) -> str:
    """What the card prints as its note: ``note`` as typed, or the card's wording of the library default."""
    if note != library.dose.note:
        return note
    return CARD_NOTES.get(library.code, note)
