"""Survey flows: answering (for a household, or one's own), writing one in the chat, and the results."""
