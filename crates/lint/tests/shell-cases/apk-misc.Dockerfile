FROM alpine:3.20
RUN apk add curl
RUN apk add --no-cache curl=8.9 git~2 'python3>3' local.apk
RUN apk add --no-cache --virtual .build-deps gcc=13 musl-dev
RUN apk add -t .deps --repository http://x gcc=13
RUN --mount=type=cache,target=/var/cache/apk apk add curl=8
RUN apk update && apk add --update curl=8 && rm -rf /var/cache/apk/*
RUN service ssh start
RUN ps aux | grep x
RUN vim /etc/x; top -b -n 1; kill 1; free -m; mount /x; shutdown now; ssh host
RUN ifconfig
RUN sudo -u app whoami
RUN useradd -u 1000000 app
RUN useradd -l -u 1000000 app && useradd --uid 10000000 --no-log-init b && useradd -u 1000 c
RUN useradd --uid 100000000 d
RUN wget https://x/y
RUN wget -q https://x/y && wget -nv https://x/y && wget --progress=dot:giga https://x/y && wget -O- https://x/y
RUN wget -o log https://x/y && wget --no-verbose https://x && wget -a log https://x
RUN curl -fsSL https://x/y
RUN cd /tmp && make
RUN a
RUN b
# a comment between
RUN c
RUN --network=none d
RUN e

RUN f && g
RUN h
EXPOSE 80
RUN i
RUN ["j", "k"]
RUN <<EOF
l
l
EOF

RUN m
