"""The budget guard (issue 5): reserve before a provider call, settle after, alerts, monthly close."""
