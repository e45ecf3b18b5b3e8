#!/bin/sh
# make-media.sh regenerates the customer's clips that browserfeed embeds. It
# is run by hand, once, and its outputs are committed, so that building,
# running and testing need neither ffmpeg nor espeak-ng.
#
#   apt-get install -y --no-install-recommends ffmpeg espeak-ng fonts-dejavu-core
#   (Debian 12: ffmpeg 5.1, espeak-ng 1.51)
#   sh simulator/browserfeed/media/make-media.sh
#
# Video: VP8 in IVF, 6 s loops at 1080p, 720p and 360p, 30 fps, a key frame
# every second (every 30 frames, at the same frame numbers in every rendition,
# so a rendition switch can happen at any key frame), bitrates at the
# simulator's ladder ceilings (simulator/encoder.Renditions). The frame
# counter and the moving testsrc2 pattern make a freeze visible at a glance.
# Alternate reference frames are off: each IVF frame must be one shown frame,
# sent as one RTP sample of one frame time.
#
# Audio: the customer reading the complaint, espeak-ng (cmn and en) then
# Opus 48 kHz mono in Ogg with one 20 ms packet per page (page_duration), so
# that every Ogg page is exactly one RTP sample.
set -eu
cd "$(dirname "$0")"

FONT=/usr/share/fonts/truetype/dejavu/DejaVuSansMono-Bold.ttf
SECONDS_LONG=6

video() { # name width height bitrate fontsize
	label="drawtext=fontfile=$FONT:fontsize=$5:fontcolor=white:box=1:boxcolor=black@0.6:x=(w-tw)/2:y=h-th-$5"
	label="$label:text='rtcdrill customer $1  frame %{n}'"
	ffmpeg -hide_banner -loglevel error -y \
		-f lavfi -i "testsrc2=size=$2x$3:rate=30:duration=$SECONDS_LONG" \
		-vf "$label" -pix_fmt yuv420p \
		-c:v libvpx -b:v "$4" -minrate "$4" -maxrate "$4" -bufsize "$4" \
		-g 30 -keyint_min 30 -auto-alt-ref 0 -lag-in-frames 0 -error-resilient 1 \
		-deadline good -cpu-used 4 \
		-f ivf "video-$1.ivf"
}

speech() { # name voice text
	espeak-ng -v "$2" -s 150 -w "speech-$1.wav" "$3"
	ffmpeg -hide_banner -loglevel error -y -i "speech-$1.wav" \
		-af "apad=pad_dur=1.5" -ar 48000 -ac 1 \
		-c:a libopus -b:a 24k -application voip -frame_duration 20 -page_duration 20000 \
		-f ogg "speech-$1.ogg"
	rm -f "speech-$1.wav"
}

video 1080p 1920 1080 2500k 48
video 720p 1280 720 1200k 32
video 360p 640 360 500k 18

speech en en-us "Hello? Hello, can you hear me? I am on a video call with my team and your picture keeps freezing. \
My voice is breaking up too, they say I sound like a robot. I already restarted the app twice. Please help me, this meeting is important."
# espeak-ng's cmn dictionary reads many characters as pinyin with spoken tone
# numbers ("ni three"), so the Chinese complaint is given as tone-numbered
# pinyin to the pinyin voice. It reads:
# 喂？喂，你能听到我吗？我正在和团队开视频会议，画面一直卡住不动。他们说我的声音也
# 断断续续的，像机器人一样。我已经重启了两次应用。请帮帮我，这个会议很重要。
speech zh-CN cmn-latn-pinyin "wei4? wei4, ni3 neng2 ting1 dao4 wo3 ma5? \
wo3 zheng4 zai4 he2 tuan2 dui4 kai1 shi4 pin2 hui4 yi4, hua4 mian4 yi4 zhi2 ka3 zhu4 bu2 dong4. \
ta1 men5 shuo1 wo3 de5 sheng1 yin1 ye3 duan4 duan4 xu4 xu4 de5, xiang4 ji1 qi4 ren2 yi2 yang4. \
wo3 yi3 jing1 chong2 qi3 le5 liang3 ci4 ying4 yong4. qing3 bang1 bang1 wo3, zhe4 ge5 hui4 yi4 hen3 zhong4 yao4."

ls -l video-*.ivf speech-*.ogg
