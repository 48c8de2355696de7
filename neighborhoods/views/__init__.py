"""Admin views of the neighbourhoods app: budget lines and spreadsheet imports."""
