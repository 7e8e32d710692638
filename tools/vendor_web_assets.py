"""Fetch the JavaScript the book needs to render offline and copy it into vendor/.

Usage: python tools/vendor_web_assets.py

The rendered book must work with no network: its math needs MathJax 3, which Sphinx loads
from a public CDN by default. This script runs `npm pack` (the npm
registry's ordinary client) for the exact versions below, unpacks them in a temporary
folder and copies only the files the pages use into

    vendor/site/_static/offline/<package>-<version>/

`_config.yml` lists `vendor/site` in `html_extra_path`, so Sphinx copies that tree into
`_build/html/` unchanged (it is deliberately not under `_static/`: Jupyter Book injects
every .js file found in a `_static` source folder into every page). The licence file of
each package is copied next to its files. The folder `book/` (written for this book, not
fetched) is left alone. Run it again after changing a version and update vendor/README.md
(the script prints the sizes and hashes to put there).
"""
import hashlib
import shutil
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEST = ROOT / "vendor" / "site" / "_static" / "offline"

# package spec -> (folder name, [(path inside the package, path in the folder)])
PACKAGES = {
    "mathjax@3.2.2": ("mathjax-3.2.2", [
        # The "full" TeX build contains every TeX extension, so MathJax never fetches one.
        ("es5/tex-chtml-full.js", "tex-chtml-full.js"),
        ("es5/output/chtml/fonts/woff-v2", "output/chtml/fonts/woff-v2"),
        ("LICENSE", "LICENSE"),
    ]),
}


def main() -> int:
    if shutil.which("npm") is None:
        sys.exit("npm is needed to fetch the packages: install Node.js (npm 9 or newer).")
    for folder, _ in PACKAGES.values():  # replace the package folders; keep book/ (ours)
        if (DEST / folder).exists():
            shutil.rmtree(DEST / folder)
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        for spec, (folder, files) in PACKAGES.items():
            out = subprocess.run(["npm", "pack", spec, "--silent"], cwd=tmp,
                                 capture_output=True, text=True, check=True)
            tgz = tmp / out.stdout.strip().splitlines()[-1]
            unpacked = tmp / folder
            with tarfile.open(tgz) as tar:
                tar.extractall(unpacked, filter="data")
            for src, dst in files:
                src_path = unpacked / "package" / src
                dst_path = DEST / folder / dst
                dst_path.parent.mkdir(parents=True, exist_ok=True)
                if src_path.is_dir():
                    shutil.copytree(src_path, dst_path)
                else:
                    shutil.copy2(src_path, dst_path)
    total = 0
    for path in sorted(DEST.rglob("*")):
        if path.is_file():
            size = path.stat().st_size
            total += size
            digest = hashlib.sha256(path.read_bytes()).hexdigest()[:16]
            print(f"{size:>9}  {digest}  {path.relative_to(DEST)}")
    print(f"{total:>9}  total bytes in {DEST.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
