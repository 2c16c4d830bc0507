# LOCAL STAND-IN for `postgres:17-alpine`, for machines without registry access only
# (scripts/compose-standin-images.sh builds it; docs/DEPLOYMENT.md). Debian 12 has PostgreSQL 15, not 17:
# the gateway's migrations are portable SQL, so 15 serves for the smoke run. postgres-entrypoint.sh does
# what the official image's entrypoint does with POSTGRES_USER/POSTGRES_PASSWORD/POSTGRES_DB on first start.
FROM testbed-standin/debian:bookworm
RUN mkdir -p /etc/postgresql-common \
    && echo "create_main_cluster = false" > /etc/postgresql-common/createcluster.conf \
    && apt-get update \
    && apt-get install -y --no-install-recommends postgresql-15 \
    && apt-get clean && rm -rf /var/lib/apt/lists/* \
    && mkdir -p /var/lib/postgresql/data /var/run/postgresql \
    && chown -R postgres:postgres /var/lib/postgresql /var/run/postgresql && chmod 2777 /var/run/postgresql
COPY postgres-entrypoint.sh /usr/local/bin/docker-entrypoint.sh
ENV PATH=/usr/lib/postgresql/15/bin:$PATH PGDATA=/var/lib/postgresql/data LANG=C.UTF-8
EXPOSE 5432
STOPSIGNAL SIGINT
ENTRYPOINT ["docker-entrypoint.sh"]
CMD ["postgres"]
LABEL io.testbed.standin="postgres:17-alpine, from Debian 12 postgresql-15"
