"""The book and the site: the build, its links, every page in a browser, JupyterLab."""
