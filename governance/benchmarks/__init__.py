"""The figures ``signoff bench`` measures."""
