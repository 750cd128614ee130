"""The workspace: the forms through which each role does its daily work (report progress with
evidence files, request completion, decide in "Chờ phê duyệt", register, reassign). Every write goes
through the commitments API with the signed-in user's own token; this package only renders forms,
carries the files through, and shows the answer."""
