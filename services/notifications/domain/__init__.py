"""The notifications domain: pure rules over a task's facts and the current time. No I/O here."""
