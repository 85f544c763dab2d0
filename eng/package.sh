#!/usr/bin/env bash
# Builds NetDrop's release artifacts for a plain host, from this checkout, with Debian's own tools:
#   artifacts/release/netdrop-<version>-linux-<arch>.tar.gz   the AOT binary, the systemd units, the logrotate snippet,
#                                                              the example netdrop.yaml, a man page and the --help text
#   artifacts/release/netdrop_<version>_<debarch>.deb          the same, installed as a Debian package (dpkg-deb)
#
#   eng/package.sh [--aot DIR] [--out DIR] [--rid linux-x64|linux-arm64]
#
# --aot DIR: the Native AOT publish to package (default artifacts/aot, where test.sh publishes). It is published there
# first, with test.sh's command, when DIR/netdrop is missing or older than any source file. The version is the one the
# binary reports (`netdrop --version`, without the +commit suffix), so the packages never disagree with their binary.
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$PWD

aot=artifacts/aot
out=artifacts/release
rid=""
while [ $# -gt 0 ]; do
  case "$1" in
    --aot) aot=$2; shift 2 ;;
    --out) out=$2; shift 2 ;;
    --rid) rid=$2; shift 2 ;;
    *) echo "package.sh: unknown argument '$1' (expected --aot DIR, --out DIR, --rid RID)" >&2; exit 2 ;;
  esac
done

if [ -z "$rid" ]; then
  case "$(dpkg --print-architecture)" in
    amd64) rid=linux-x64 ;;
    arm64) rid=linux-arm64 ;;
    *) echo "package.sh: no .NET runtime identifier for architecture '$(dpkg --print-architecture)'; pass --rid" >&2; exit 2 ;;
  esac
fi
case "$rid" in
  linux-x64) debarch=amd64 ;;
  linux-arm64) debarch=arm64 ;;
  *) echo "package.sh: --rid must be linux-x64 or linux-arm64, got '$rid'" >&2; exit 2 ;;
esac

for tool in dpkg-deb dpkg-shlibdeps gzip tar; do
  command -v "$tool" >/dev/null || { echo "package.sh: $tool is missing (apt-get install dpkg-dev)" >&2; exit 1; }
done

# A binary older than any source file is stale: publish again (the same command as test.sh's AOT check).
stale=$(find src Directory.Build.props Directory.Packages.props global.json \( -name bin -o -name obj \) -prune \
  -o -type f -newer "$aot/netdrop" -print -quit 2>/dev/null || echo missing)
if [ ! -x "$aot/netdrop" ] || [ -n "$stale" ]; then
  echo "== Native AOT publish ($rid) into $aot"
  dotnet publish src/NetDrop -c Release -r "$rid" -p:PublishAot=true -o "$aot" -nologo -warnaserror
fi
binary=$aot/netdrop

full_version=$("$binary" --version)
version=${full_version%%+*}
[[ "$version" =~ ^[0-9]+\.[0-9]+\.[0-9]+([~.-][0-9A-Za-z.~-]+)?$ ]] || { echo "package.sh: '$binary --version' printed '$full_version', not a version" >&2; exit 1; }

# Reproducible timestamps and ordering: the last commit's time, when this is a git checkout.
export SOURCE_DATE_EPOCH=${SOURCE_DATE_EPOCH:-$(git -C "$repo" log -1 --format=%ct 2>/dev/null || date +%s)}

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$out"

# --- the help text, as plain text and as a man page --------------------------------------------------------------
help="$work/netdrop-help.txt"
{
  echo "netdrop $version"
  echo
  "$binary" --help
  for command in monitor analyze "config show" health prepare-log-dir; do
    echo
    echo "==== netdrop $command"
    echo
    # shellcheck disable=SC2086 # "config show" is two words on purpose
    "$binary" $command --help
  done
} > "$help"

man="$work/netdrop.1"
{
  date_line=$(date -u -d "@$SOURCE_DATE_EPOCH" +%Y-%m-%d)
  echo ".TH NETDROP 1 \"$date_line\" \"netdrop $version\" \"User Commands\""
  echo ".SH NAME"
  echo "netdrop \\- find where a Linux host drops packets, layer by layer"
  echo ".SH SYNOPSIS"
  echo ".B netdrop"
  echo "[INTERFACE] [INTERVAL] [LOGFILE]"
  echo ".br"
  echo ".B netdrop"
  echo "monitor|analyze|config|health|prepare-log-dir [options]"
  echo ".SH DESCRIPTION"
  echo "The text below is what"
  echo ".B netdrop \\-\\-help"
  echo "and each command's"
  echo ".B \\-\\-help"
  echo "print."
  echo ".PP"
  echo ".nf"
  # roff: a backslash is \e; a line starting with . or ' would be a request, so it gets a zero-width \& first.
  sed -e 's/\\/\\e/g' -e "s/^\\([.']\\)/\\\\\\&\\1/" "$help"
  echo ".fi"
  echo ".SH FILES"
  echo ".TP"
  echo ".I /etc/netdrop/netdrop.yaml"
  echo "every setting, commented (netdrop monitor \\-\\-config)"
  echo ".TP"
  echo ".I /var/log/netdrop/"
  echo "the CSV files of netdrop.service and netdrop@INTERFACE.service, rotated by /etc/logrotate.d/netdrop"
  echo ".SH EXIT STATUS"
  echo "0 ok, 1 runtime failure, 2 bad input (one sentence on standard error names what and where)."
} > "$man"

# --- the tarball ------------------------------------------------------------------------------------------------
name="netdrop-$version-$rid"
tree="$work/$name"
install -D -m 0755 "$binary" "$tree/bin/netdrop"
install -D -m 0644 deploy/systemd/netdrop.service "$tree/systemd/netdrop.service"
install -D -m 0644 deploy/systemd/netdrop@.service "$tree/systemd/netdrop@.service"
install -D -m 0644 deploy/logrotate/netdrop "$tree/logrotate/netdrop"
install -D -m 0644 netdrop.yaml "$tree/netdrop.yaml"
install -D -m 0644 "$man" "$tree/man/netdrop.1"
install -D -m 0644 "$help" "$tree/netdrop-help.txt"
cat > "$tree/INSTALL.txt" <<EOF
NetDrop $version for $rid: a self-contained Native AOT binary (needs glibc, nothing else).

  sudo install -m 0755 bin/netdrop /usr/local/bin/netdrop
  sudo install -D -m 0644 netdrop.yaml /etc/netdrop/netdrop.yaml
  sudo install -m 0644 systemd/netdrop.service systemd/netdrop@.service /etc/systemd/system/
  sudo install -m 0644 logrotate/netdrop /etc/logrotate.d/netdrop
  sudo install -D -m 0644 man/netdrop.1 /usr/local/share/man/man1/netdrop.1
  sudo systemctl daemon-reload
  sudo systemctl enable --now netdrop.service          # every interface but lo
  # or one instance per interface, as the old network-monitor@.service:
  sudo systemctl enable --now netdrop@eth0.service

The units run with DynamicUser=yes: no user account to create. The seed's one-liner works too:
  sudo netdrop eth0 5 /var/log/network_drops.log
EOF
tar --sort=name --mtime="@$SOURCE_DATE_EPOCH" --owner=0 --group=0 --numeric-owner -C "$work" -cf - "$name" \
  | gzip -n -9 > "$out/$name.tar.gz"
echo "$out/$name.tar.gz"

# --- the Debian package -----------------------------------------------------------------------------------------
root="$work/deb"
install -D -m 0755 "$binary" "$root/usr/bin/netdrop"
# The units as shipped, with the binary where the package puts it; the manual-install comments do not apply.
for unit in netdrop.service netdrop@.service; do
  install -d "$root/usr/lib/systemd/system"
  sed -e 's#/usr/local/bin/netdrop#/usr/bin/netdrop#g' -e '/^#   sudo /d' "deploy/systemd/$unit" > "$root/usr/lib/systemd/system/$unit"
  chmod 0644 "$root/usr/lib/systemd/system/$unit"
done
install -D -m 0644 netdrop.yaml "$root/etc/netdrop/netdrop.yaml"
install -D -m 0644 deploy/logrotate/netdrop "$root/etc/logrotate.d/netdrop"
install -d "$root/usr/share/man/man1" "$root/usr/share/doc/netdrop"
gzip -n -9 < "$man" > "$root/usr/share/man/man1/netdrop.1.gz"
gzip -n -9 < "$help" > "$root/usr/share/doc/netdrop/netdrop-help.txt.gz"
chmod 0644 "$root/usr/share/man/man1/netdrop.1.gz" "$root/usr/share/doc/netdrop/netdrop-help.txt.gz"

# Depends from the binary's own dynamic symbols, as Debian computes it (dpkg-shlibdeps needs a debian/control).
mkdir -p "$work/shlibs/debian"
printf 'Source: netdrop\n\nPackage: netdrop\nArchitecture: any\n' > "$work/shlibs/debian/control"
depends=$(cd "$work/shlibs" && dpkg-shlibdeps -O -e "$root/usr/bin/netdrop" 2>/dev/null | sed -n 's/^shlibs:Depends=//p')
[ -n "$depends" ] || { echo "package.sh: dpkg-shlibdeps found no dependencies for the binary" >&2; exit 1; }

install -d -m 0755 "$root/DEBIAN"
installed_size=$(du -sk --exclude=DEBIAN "$root" | cut -f1)
cat > "$root/DEBIAN/control" <<EOF
Package: netdrop
Version: $version
Architecture: $debarch
Maintainer: NetDrop maintainers <maintainers@netdrop.invalid>
Installed-Size: $installed_size
Depends: $depends
Suggests: logrotate
Section: net
Priority: optional
Homepage: https://github.com/netdrop/netdrop
Description: find where a Linux host drops packets, layer by layer
 NetDrop reads the kernel's packet-drop counters (procfs, sysfs, rtnetlink,
 the ethtool ioctl) every few seconds: NIC rings, qdiscs, the softirq backlog,
 TCP SYN and accept queues, TCP and UDP socket buffers. It reports each
 interval's drops on the console and in a CSV, and optionally as OpenTelemetry
 metrics and CRIT log records. netdrop.service watches every interface but lo;
 netdrop@INTERFACE.service watches one. Neither is enabled on install.
EOF
printf '/etc/netdrop/netdrop.yaml\n/etc/logrotate.d/netdrop\n' > "$root/DEBIAN/conffiles"

# No user is created: both units run with DynamicUser=yes, and nothing else runs as a netdrop user.
cat > "$root/DEBIAN/postinst" <<'EOF'
#!/bin/sh
set -e
# The units are installed, not enabled: `systemctl enable --now netdrop.service` (or netdrop@eth0.service).
if [ "$1" = "configure" ] && [ -d /run/systemd/system ]; then
  systemctl daemon-reload || true
fi
EOF
cat > "$root/DEBIAN/prerm" <<'EOF'
#!/bin/sh
set -e
if [ "$1" = "remove" ] && [ -d /run/systemd/system ]; then
  systemctl stop netdrop.service 'netdrop@*.service' || true
fi
EOF
cat > "$root/DEBIAN/postrm" <<'EOF'
#!/bin/sh
set -e
if [ "$1" = "purge" ]; then
  # What `systemctl enable` left behind, and the CSV logs (LogsDirectory= with DynamicUser= keeps them under
  # /var/log/private/netdrop, linked from /var/log/netdrop).
  rm -f /etc/systemd/system/*.wants/netdrop.service /etc/systemd/system/*.wants/netdrop@*.service
  rm -rf /var/log/netdrop /var/log/private/netdrop
fi
if [ -d /run/systemd/system ]; then
  systemctl daemon-reload || true
fi
EOF
chmod 0755 "$root/DEBIAN/postinst" "$root/DEBIAN/prerm" "$root/DEBIAN/postrm"
chmod 0644 "$root/DEBIAN/control" "$root/DEBIAN/conffiles"

deb="$out/netdrop_${version}_${debarch}.deb"
dpkg-deb --root-owner-group -Zxz --build "$root" "$deb" >/dev/null
echo "$deb"
