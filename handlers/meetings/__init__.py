"""Monthly meetings in the chat: the leader's schedule, members' answers, attendance and minutes."""
