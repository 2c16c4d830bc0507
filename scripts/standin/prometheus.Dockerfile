# LOCAL STAND-IN for `prom/prometheus` (the tag docker-compose.yml names), for machines without registry
# access only (scripts/compose-standin-images.sh builds it; docs/DEPLOYMENT.md). Debian 12's prometheus
# package (2.42, not 3.x) and wget for the compose healthcheck; runs as nobody like the official image.
FROM testbed-standin/debian:bookworm
RUN apt-get update \
    && apt-get install -y --no-install-recommends prometheus wget \
    && apt-get clean && rm -rf /var/lib/apt/lists/* \
    && mkdir -p /prometheus /etc/prometheus && chown nobody:nogroup /prometheus
USER nobody
WORKDIR /prometheus
EXPOSE 9090
ENTRYPOINT ["/usr/bin/prometheus"]
CMD ["--config.file=/etc/prometheus/prometheus.yml", "--storage.tsdb.path=/prometheus"]
LABEL io.testbed.standin="prom/prometheus, from Debian 12 prometheus"
