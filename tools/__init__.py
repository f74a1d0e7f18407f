"""Developer tools that do not ship in the wheel or the Debian package: the synthetic screen
renderer, invented demo data, the screenshot renderer, the icon maker and the packaging
build."""
