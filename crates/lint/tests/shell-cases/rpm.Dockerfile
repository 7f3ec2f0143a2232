ARG HTTPD_VERSION=2.4
FROM centos:7 AS c
ENV PHP_VERSION=7.4
RUN yum install httpd-2.4.6 && yum clean all
RUN yum install -y httpd && yum clean all
RUN yum install -y httpd-${HTTPD_VERSION} php-$PHP_VERSION php-${UNDEFINED} x.rpm && yum clean all
RUN yum groupinstall -y "Development Tools"
RUN yum install -y httpd-2.4.6
RUN yum clean all && yum install -y httpd-2.4.6
RUN yum install -y httpd-2.4.6 && rm -rf /var/cache/yum/*
RUN yum module install -y nodejs:18 && yum module install -y php && yum clean all
RUN yum install -y httpd-latest_Build && yum clean all
RUN yum --assumeyes localinstall pkg-1.0.rpm && yum clean metadata

FROM c
RUN yum install -y php-$PHP_VERSION && yum clean all

FROM fedora:40
RUN dnf install httpd-2.4.62 && dnf clean all
RUN dnf install -y httpd && dnf clean all
RUN microdnf install -y httpd-2.4.62
RUN dnf upgrade -y && dnf clean all
RUN dnf module install -y nodejs:20 && dnf group install -y "C Development Tools" && dnf clean all
RUN --mount=type=cache,target=/var/cache/libdnf5 dnf install -y httpd-2.4.62
RUN dnf install -y httpd-2.4.62 && rm -rf /var/cache/libdnf5*

FROM opensuse/leap:15.6
RUN zypper install httpd=2.4 && zypper clean
RUN zypper -n install httpd && zypper cc
RUN zypper install -y httpd>=2.4
RUN zypper dist-upgrade -y && zypper dup -n
RUN zypper --non-interactive remove httpd && zypper rm foo
RUN --mount=type=cache,target=/var/cache/zypp zypper in -y a.rpm
RUN zypper patch
