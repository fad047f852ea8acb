"""📄 Báo cáo: an official report's Word draft on demand, and the figures only people know."""
