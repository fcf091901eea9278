#!/bin/sh
# Builds stockade_<version>_all.deb from src/deb (the package's tree), the shaded jar and the
# operations guide, with dpkg-deb. Run by Maven (package phase): build-deb.sh VERSION JAR OPERATIONS_MD OUTDIR
set -eu
version=$1 jar=$2 ops=$3 out=$4
here=$(cd "$(dirname "$0")" && pwd)
root=$out/deb-root
rm -rf "$root"
mkdir -p "$root"
cp -a "$here/src/deb/." "$root/"
install -D -m 0644 "$jar" "$root/usr/share/stockade/stockade.jar"
install -D -m 0644 "$ops" "$root/usr/share/doc/stockade/operations.md"
# Git does not keep modes beyond the executable bit, nor does it matter what umask built this.
find "$root" -type d -exec chmod 0755 {} +
find "$root" -type f -exec chmod 0644 {} +
chmod 0755 "$root/usr/bin/stockade" "$root/etc/libvirt/hooks/qemu.d/50-stockade" "$root/DEBIAN/postinst" "$root/DEBIAN/prerm" "$root/DEBIAN/postrm"
size=$(du -k -s --exclude=DEBIAN "$root" | cut -f1)
sed -i -e "s/@VERSION@/$version/" -e "s/@SIZE@/$size/" "$root/DEBIAN/control"
dpkg-deb --root-owner-group -Zgzip -z1 --build "$root" "$out/stockade_${version}_all.deb" >/dev/null
echo "built $out/stockade_${version}_all.deb"
