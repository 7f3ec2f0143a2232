FROM debian:12 AS build
RUN apt-get update && apt-get install -y curl
RUN apt-get update && apt-get install -y --no-install-recommends curl=7.* && rm -rf /var/lib/apt/lists/*
RUN apt-get install --yes --no-install-recommends -t bookworm-backports curl/bookworm ./local.deb
RUN apt-get install -qq -o APT::Install-Recommends=false curl=1
RUN apt-get install -q -q curl=1 && apt-get install --quiet --quiet curl=1 && apt-get install -q=2 curl=1
RUN apt-get -q install curl=1
RUN apt-get --assume-yes install --no-install-recommends curl
RUN sudo apt-get install curl
RUN /usr/bin/apt-get install curl
RUN sh -c 'apt-get install curl'
RUN echo $(apt-get install -y --no-install-recommends x=1)
RUN apt install -y curl
RUN --mount=type=cache,target=/var/lib/apt/lists apt-get update && apt-get install -y --no-install-recommends a=1
RUN --mount=type=cache,target=/var/lib/apt --mount=type=cache,target=/var/cache/apt apt-get update
RUN --mount=type=cache,target=/var/lib/apt apt-get update
RUN apt-get update && rm -rf /tmp/x

FROM debian:12 AS unused
RUN apt-get update

FROM build AS final
RUN apt-get update && apt-get install -y --no-install-recommends curl=1
ONBUILD RUN apt-get update && apt-get install curl
ONBUILD RUN cd /x
