# Build: docker build -t mailferry .
# Run:   docker run --rm -v mailferry-state:/data -e MAILFERRY_FROM_PASSWORD -e MAILFERRY_TO_PASSWORD \
#          mailferry migrate --from imaps://alice@old.example --to imaps://alice@new.example
# Default command: schedule /jobs (job files mounted at /jobs). See the README, "Container".

# Stage 1: build the jar with the Maven wrapper (dependencies first: a layer cached across source changes).
FROM eclipse-temurin:25-jdk AS build
WORKDIR /src
COPY .mvn .mvn
COPY mvnw pom.xml ./
RUN ./mvnw -q -B dependency:go-offline
COPY src src
COPY sql sql
RUN ./mvnw -q -B package -DskipTests

# Stage 2: only the JRE and the jar, run by a non-root user.
FROM eclipse-temurin:25-jre
RUN groupadd --system --gid 10001 mailferry \
 && useradd --system --uid 10001 --gid mailferry --home-dir /data --shell /usr/sbin/nologin mailferry \
 && mkdir -p /data /archives /jobs \
 && chown mailferry:mailferry /data /archives /jobs \
 && chmod 0700 /data
COPY --from=build /src/target/mailferry.jar /opt/mailferry/mailferry.jar
COPY --chmod=0755 bin/docker-entrypoint /opt/mailferry/bin/docker-entrypoint
USER mailferry
WORKDIR /data
ENV MAILFERRY_STATE_DIR=/data
# /data: job store, mailferry.log, reports/ (keep it: a container that dies can be resumed);
# /archives: backup and restore; /jobs: job files.
VOLUME ["/data", "/archives", "/jobs"]
ENTRYPOINT ["/opt/mailferry/bin/docker-entrypoint"]
CMD ["schedule", "/jobs"]
