FROM debian:12 AS a
RUN curl -fsSL https://x | tar xz
SHELL ["/bin/bash", "-o", "pipefail", "-c"]
RUN curl -fsSL https://x | tar xz
RUN wget -q https://x

FROM a
RUN curl -fsSL https://x | tar xz
SHELL ["/usr/bin/zsh", "-eo", "pipefail", "-c"]
RUN curl -fsSL https://x | tar xz
SHELL ["/bin/sh", "-o", "pipefail", "-c"]
RUN curl -fsSL https://x | tar xz
SHELL ["pwsh", "-Command"]
RUN Get-Content x | Select-Object -First 1
ONBUILD RUN a | b

FROM debian:12
RUN wget -q https://x && curl -fsSL https://y
RUN curl -fsSL https://x || true
RUN if [ -f x ]; then curl a | b
RUN echo "a | b" && cat x |& tee y
