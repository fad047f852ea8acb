"""📄 Báo cáo: an official report's Word draft on demand, and the way to the figures still blank."""
