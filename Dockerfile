# syntax=docker/dockerfile:1
# netrun in a small image: a static binary (CGO_ENABLED=0) on distroless
# static, which has CA certificates, tzdata and a nonroot user, and no
# shell or interpreter (scenarios that spawn a Python program need an
# image of their own, FROM python with this binary copied in).
#
#   docker build --build-arg VERSION=v0.1.0 -t netrun .
#   docker run --rm -v "$PWD:/work" netrun scenarios/tcp_echo.yaml

FROM golang:1.26-bookworm AS build
WORKDIR /src
# Modules first, so that a change of source reuses the download layer.
COPY go.mod go.sum ./
RUN go mod download
COPY . .
ARG VERSION=devel
ARG COMMIT=
RUN CGO_ENABLED=0 go build -trimpath -buildvcs=false \
        -ldflags "-s -w -X main.stampedVersion=${VERSION} -X main.stampedCommit=${COMMIT}" \
        -o /out/netrun ./cmd/netrun

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/netrun /usr/local/bin/netrun
COPY LICENSE NOTICE /usr/share/doc/netrun/
WORKDIR /work
USER nonroot:nonroot
ENTRYPOINT ["/usr/local/bin/netrun"]
CMD ["--help"]
