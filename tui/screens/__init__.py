"""The app's full screens: the board and the screens it opens (one module each)."""
