# mixdeck: the audio engine and its web service in one image.
#
#   docker build -t mixdeck .
#   docker run --rm -p 8000:8000 -e MIXDECK_TOKEN=... -e MIXDECK_OUTPUT=null mixdeck
#
# Sound reaches the host through ALSA (--device /dev/snd --group-add audio) or
# PulseAudio (mount the host's socket, set PULSE_SERVER, MIXDECK_DEVICE=pulse).
FROM python:3.11-slim-bookworm

# libportaudio2: the sound device stream; libsndfile1: decoding uploads;
# libasound2-plugins: ALSA's 'pulse' device, to play through a host's
# PulseAudio socket (build with --build-arg PULSEAUDIO=no for a smaller,
# ALSA-only image). Versions are pinned to the upstream release; Debian's
# security revisions still apply.
ARG PULSEAUDIO=yes
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        libportaudio2=19.6.0-* \
        libsndfile1=1.2.0-* \
    && if [ "$PULSEAUDIO" = yes ]; then \
        apt-get install -y --no-install-recommends libasound2-plugins=1.2.7.* ; \
    fi \
    && rm -rf /var/lib/apt/lists/*

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1

WORKDIR /opt/mixdeck
COPY pyproject.toml setup.py ./
COPY engine ./engine
COPY service ./service
COPY web ./web
RUN pip install --no-cache-dir . \
    && useradd --no-log-init --create-home --uid 10001 --user-group --groups audio mixdeck

USER 10001:10001
WORKDIR /home/mixdeck
EXPOSE 8000

# /api/health sits behind the token like every /api route; the check sends it.
HEALTHCHECK --interval=30s --timeout=5s --start-period=15s --retries=3 \
    CMD ["python", "-c", "import os, sys, urllib.request as u; t = os.environ.get('MIXDECK_TOKEN'); r = u.Request('http://127.0.0.1:%s/api/health' % os.environ.get('MIXDECK_PORT', '8000'), headers={'Authorization': 'Bearer ' + t} if t else {}); sys.exit(u.urlopen(r, timeout=4).status != 200)"]

# Binding beyond 127.0.0.1 needs a token: pass it with -e MIXDECK_TOKEN=...
# (the service reads its MIXDECK_* settings from the environment).
CMD ["mixdeck", "serve", "--host", "0.0.0.0"]
