"""textkit: Chinese policy speeches in, task records out."""
