# syntax=docker/dockerfile:1
# The NetDrop agent image: a Native AOT binary on Ubuntu chiseled runtime-deps (no shell, no package manager, no
# ICU - the app uses invariant globalization - and no tzdata: timestamps are UTC), running as the non-root app
# user 1654. The Kubernetes chart runs it with hostNetwork and the host's /proc and /sys at /host/proc, /host/sys.
#
#   docker build -t netdrop .
#   docker buildx build --platform linux/amd64,linux/arm64 -t registry.example.com/netdrop:0.1.0 --push .
#   docker run --rm --network host -v /proc:/host/proc:ro -v /sys:/host/sys:ro netdrop
#
# Each platform is compiled natively (a foreign one under QEMU emulation): Native AOT needs the target's native
# toolchain, which the -aot SDK image carries for its own architecture.

ARG DOTNET_VERSION=10.0

FROM mcr.microsoft.com/dotnet/sdk:${DOTNET_VERSION}-noble-aot AS build
# Set by BuildKit from --platform; the fallback asks the build image for its own architecture.
ARG TARGETARCH
WORKDIR /src

# Restore from the project files alone, so that a source change does not download the packages again.
COPY --link global.json Directory.Build.props Directory.Packages.props .editorconfig ./
COPY --link eng/BannedSymbols.txt eng/
COPY --link src/NetDrop.Kernel/NetDrop.Kernel.csproj src/NetDrop.Kernel/
COPY --link src/NetDrop.Model/NetDrop.Model.csproj src/NetDrop.Model/
COPY --link src/NetDrop.Analysis/NetDrop.Analysis.csproj src/NetDrop.Analysis/
COPY --link src/NetDrop/NetDrop.csproj src/NetDrop/
RUN arch="${TARGETARCH:-$(dpkg --print-architecture)}" \
    && case "$arch" in \
         amd64) rid=linux-x64 ;; \
         arm64) rid=linux-arm64 ;; \
         *) echo "netdrop: no .NET runtime identifier for architecture '$arch'" >&2; exit 1 ;; \
       esac \
    && echo "$rid" > /tmp/rid \
    && dotnet restore src/NetDrop -r "$rid"

COPY --link src/ src/
# The same publish as test.sh's Native AOT check, for this architecture: warnings are errors, so a trim or AOT
# warning fails the image build as it fails the test suite.
RUN rid="$(cat /tmp/rid)" \
    && dotnet publish src/NetDrop -c Release -r "$rid" -o /app -nologo -warnaserror

FROM mcr.microsoft.com/dotnet/runtime-deps:${DOTNET_VERSION}-noble-chiseled
LABEL org.opencontainers.image.title="netdrop" \
      org.opencontainers.image.description="Per-layer Linux packet-drop monitor exporting OpenTelemetry metrics and CRIT logs"
WORKDIR /app
# Only the executable: the .dbg symbols and .pdb files stay in the build stage.
COPY --link --from=build /app/netdrop /app/netdrop
# Numeric, so that Kubernetes' runAsNonRoot can verify it without an /etc/passwd lookup.
USER 1654:1654
ENTRYPOINT ["/app/netdrop"]
# For `docker run`: the host's counters through read-only mounts, console only. The chart passes its own args.
CMD ["monitor", "--proc-root", "/host/proc", "--sys-root", "/host/sys", "--no-csv", "--no-color"]
