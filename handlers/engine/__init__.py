"""The conversation engine and the vocabulary every flow speaks: flows, steps, neutral messages."""
