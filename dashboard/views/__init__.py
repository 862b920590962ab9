"""One thin script per page: read the scenario, call the engine or report, render."""
