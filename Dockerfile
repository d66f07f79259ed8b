# attache in a container, for CI: the static Linux binary alone (no shell,
# no libc, nothing else), run as a user without privileges.
#
# The image is made from release binaries, not compiled here: the
# release workflow puts them at dist/linux/amd64/attache and
# dist/linux/arm64/attache, then runs
#   docker buildx build --platform linux/amd64,linux/arm64 -t attache .
# By hand, for this machine only:
#   cargo build --profile dist --locked --target x86_64-unknown-linux-musl
#   mkdir -p dist/linux/amd64
#   cp target/x86_64-unknown-linux-musl/dist/attache dist/linux/amd64/
#   docker build -t attache .
#
# On a site (docs/publishing.md, "In a container"):
#   docker run --rm --user "$(id -u):$(id -g)" -v "$PWD:/site" attache build
FROM scratch
# linux/amd64 or linux/arm64, set by BuildKit (`docker buildx build
# --platform ...`); the legacy builder takes the default.
ARG TARGETPLATFORM=linux/amd64
# The program keeps its mode (0755) from the release archive.
COPY dist/${TARGETPLATFORM}/attache /attache
# The site is mounted at /site; attache writes public/ and .attache/ there
# and reads nothing outside it (no HOME, no configuration elsewhere).
WORKDIR /site
# "nonroot" of the distroless images; `--user` on `docker run` chooses
# another, such as the owner of the mounted folder.
USER 65532:65532
ENTRYPOINT ["/attache"]
CMD ["--help"]
