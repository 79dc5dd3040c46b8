"""Performance suite for geomap (not part of the test run): see README.md."""
