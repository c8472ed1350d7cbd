X=a\
#two
