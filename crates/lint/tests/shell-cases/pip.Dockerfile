FROM python:3.12 AS base
RUN pip install requests
RUN pip install --no-cache-dir requests==2.0 'flask>=2' ./pkg git+https://x/y@v1 pkg.whl
RUN pip3 install --no-cache-dir -r requirements.txt
RUN python -m pip install --no-cache-dir --index-url https://pypi.example requests
RUN python3 -m pip install --no-cache-dir -c constraints.txt requests
RUN pip install --no-cache-dir gitpython
RUN pip install --no-cache-dir --upgrade pip setuptools==70
RUN pip install --no-cache-dir -e .
RUN PIP_NO_CACHE_DIR=1 pip install x==1
RUN PIP_NO_CACHE_DIR=0 pip install x==1
RUN --mount=type=cache,target=/root/.cache/pip pip install x==1
RUN pipx install x && pipenv install x
RUN python -m pipx install x
ENV PIP_NO_CACHE_DIR=true
RUN pip install x==1

FROM base AS child
RUN pip install x==1

FROM python:3.12
ENV PIP_NO_CACHE_DIR=off
RUN pip install x==1
