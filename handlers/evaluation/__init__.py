"""The yearly evaluation in the chat: 📈 Xếp loại dự kiến, scoring criteria by hand, confirming the year."""
