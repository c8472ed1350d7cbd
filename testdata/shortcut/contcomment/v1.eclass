X=a\
#one
