# The dashboard as one replica: `streamlit run app.py`, warm before it reports healthy.
#
#   docker build -t likelihood .
#   docker run --rm -p 8501:8501 likelihood            # one replica, http://localhost:8501
#   docker compose up --scale app=4                    # four behind HAProxy (compose.yaml)
#
# The port comes from $PORT (default 8501), as platforms that set PORT expect.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PORT=8501

WORKDIR /app

# torch's CPU build first, from PyTorch's own index (PyPI's Linux wheel brings the CUDA
# libraries, gigabytes this app never uses), without its dependencies: requirements.txt's
# torch==2.13.0 is then met by 2.13.0+cpu, and pip installs the rest, torch's dependencies
# included, from PyPI. TORCH_INDEX is the one thing a build may change (a mirror of that index).
ARG TORCH_INDEX=https://download.pytorch.org/whl/cpu
COPY requirements.txt ./
RUN pip install --no-deps --index-url "$TORCH_INDEX" "$(grep -oE '^torch==[^ #]+' requirements.txt)" \
 && pip install -r requirements.txt \
 && pip check

# The app and the project's config (.streamlit/config.toml); .dockerignore lets in nothing else.
COPY .streamlit/ .streamlit/
COPY app.py ./
COPY core/ core/
COPY ui/ ui/
COPY pages/ pages/

# A user without privileges, who can read the app but not change it.
RUN useradd --create-home --uid 10001 --shell /usr/sbin/nologin streamlit
USER streamlit

EXPOSE 8501

# Green only when Streamlit answers /_stcore/health. A replica answers nothing until its
# warm-up (ui/warmup.py: imports, default corpus, every page once) is done, so it stays
# "starting", then unhealthy, until it is warm; the start period covers a slow warm-up.
HEALTHCHECK --interval=10s --timeout=3s --start-period=90s --retries=3 \
    CMD ["python", "-c", "import os, urllib.request; urllib.request.urlopen('http://127.0.0.1:%s/_stcore/health' % os.environ.get('PORT', '8501'), timeout=2)"]

# exec: streamlit becomes PID 1's program and gets SIGTERM from `docker stop` itself.
CMD ["sh", "-c", "exec streamlit run app.py --server.port \"${PORT}\" --server.address 0.0.0.0"]
