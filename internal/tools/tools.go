//go:build tools

// Package tools pins modules that packages still being written will import, so
// that go mod tidy keeps them while parallel work lands.
package tools

import (
	_ "github.com/chromedp/chromedp"
	_ "github.com/coder/websocket"
	_ "github.com/google/gopacket/pcapgo"
	_ "github.com/invopop/jsonschema"
	_ "github.com/labstack/echo/v4"
	_ "github.com/pion/interceptor"
	_ "github.com/pion/interceptor/pkg/gcc"
	_ "github.com/pion/rtcp"
	_ "github.com/pion/rtp"
	_ "github.com/pion/turn/v4"
	_ "github.com/pion/webrtc/v4"
	_ "github.com/stretchr/testify/require"
	_ "go.uber.org/goleak"
	_ "go.yaml.in/yaml/v3"
	_ "golang.org/x/crypto/bcrypt"
	_ "gorm.io/driver/sqlite"
	_ "gorm.io/gorm"
)
