FROM node:20
RUN npm install express
RUN npm install express@4 @types/node@20 @my-scope/pkg ./local ../up ~/home /abs pkg.tgz git+https://github.com/a/b#v1
RUN npm install git://github.com/a/b
RUN npm install --registry https://r.example express@4
RUN npm install
RUN npm ci && npm run build
RUN yarn install && yarn cache clean
RUN yarn install
RUN yarn cache clean && yarn install
RUN --mount=type=cache,target=/usr/local/share/.cache/yarn yarn install
RUN gem install bundler
RUN gem install bundler:2.5 rake:13
RUN gem install -v 2.5 bundler
RUN gem install --version=2.5 bundler
RUN gem install --no-document bundler:2 rails
RUN gem i rails -- --with-x
RUN go install golang.org/x/tools/gopls@latest
RUN go install golang.org/x/tools/gopls@v0.16.1 ./cmd/...
RUN go get github.com/a/b
RUN go run github.com/a/b@v1 arg1 arg2
RUN go run main.go
RUN go install
RUN go build ./... && go get -d ./...
