"""`make bench`: how the portfolio PDF scales (not part of the test run)."""
