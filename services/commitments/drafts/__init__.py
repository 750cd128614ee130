"""Program drafts: an imported notice kept server-side while the Office reviews it.

A draft is working data, not an event: it is corrected, items are dropped or merged, and it is then
accepted (each kept item registered through the ordinary `RegisterTask` command, so the events are the
only record that matters) or discarded. It lives in its own table of the commitments schema
(`program_drafts`), beside the event store and never in it: editing a draft changes no history.
"""
