"""What every feature's screens share: callback data, buttons, send-or-edit, formatting, labels, languages."""
