"""Installs the engine/, service/ and web/ folders as mixdeck.engine, mixdeck.service and mixdeck.web.

Everything else about the package is in pyproject.toml; only the mapping of
folders to a namespace needs code, so that subpackages added later are found.
"""

from setuptools import find_namespace_packages, setup

FOLDERS = ("engine", "service", "web")

packages = [
    f"mixdeck.{name}"
    for name in find_namespace_packages(include=[f"{folder}*" for folder in FOLDERS])
    if "__pycache__" not in name
]

setup(
    packages=packages,
    package_dir={f"mixdeck.{folder}": folder for folder in FOLDERS},
    package_data={"mixdeck.web": ["**/*"]},
)
