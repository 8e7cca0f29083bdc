# Build: docker build -t mailferry .
# Run:   docker run --rm -e MAILFERRY_FROM_PASSWORD -e MAILFERRY_TO_PASSWORD -v mailferry:/data \
#          mailferry migrate --from imaps://alice@old.example --to imaps://alice@new.example
FROM eclipse-temurin:25-jdk AS build
WORKDIR /src
COPY .mvn .mvn
COPY mvnw pom.xml ./
RUN ./mvnw -q -B dependency:go-offline
COPY src src
COPY sql sql
RUN ./mvnw -q -B package -DskipTests

FROM eclipse-temurin:25-jre
RUN useradd --system --home-dir /data mailferry && mkdir -p /data && chown mailferry /data
USER mailferry
COPY --from=build /src/target/mailferry.jar /opt/mailferry/mailferry.jar
# The job store and the log live in the volume, so a container that dies can be resumed.
VOLUME /data
ENTRYPOINT ["java", "-jar", "/opt/mailferry/mailferry.jar"]
CMD ["--help"]
