"""Group chats bound to units, and what is posted where no group can be bound."""
