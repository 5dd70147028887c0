#!/usr/bin/env bash
# Fetches what the send benchmark compares against, into bench/tools (ignored by git):
# Postfix's smtp-sink and smtp-source, unpacked from the Debian package without installing
# Postfix as the system mailer, and nodemailer from npm. Then builds the service in Release.
set -euo pipefail
cd "$(dirname "$0")"
mkdir -p tools && cd tools
if [ ! -x postfix/usr/sbin/smtp-sink ]; then
  apt-get update -qq
  rm -f postfix_*.deb
  apt-get download postfix
  dpkg-deb -x postfix_*.deb postfix
fi
if [ ! -d node/node_modules/nodemailer ]; then
  mkdir -p node && (cd node && npm init -y >/dev/null && npm install --no-audit --no-fund nodemailer >/dev/null)
fi
echo "nodemailer $(node -p "require('./node/node_modules/nodemailer/package.json').version")"
echo "postfix $(dpkg-deb -f postfix_*.deb Version)"
cd ../..
dotnet build -c Release src/Newsletter.Api -v q -nologo
dotnet build -c Release bench/Newsletter.Bench -v q -nologo
